import Foundation

/// The pack's plots, drawn from its own data so the picture and evidence.json always agree.
enum EvidencePlots {
    static let perDayFile = "oversight-per-day.svg"
    static let monitoringFile = "monitoring-rates.svg"

    /// Alerts raised and acknowledged, overridden or snoozed per UTC day; per 7 days for periods over 92 days,
    /// so bars stay wide enough to see (evidence.json keeps every day).
    static func perDay(_ pack: EvidencePack) -> String {
        let days = pack.humanOversight.perDay
        let size = days.count > 92 ? 7 : 1
        let bins = stride(from: 0, to: days.count, by: size).map { days[$0..<min($0 + size, days.count)] }
        func series(_ name: String, _ color: String, _ count: (HumanOversight.DayCount) -> Int) -> SVGBarChart.Series {
            .init(name: name, color: color, values: bins.map { Double($0.map(count).reduce(0, +)) })
        }
        let span = "\(pack.period.from.prefix(10)) to \(pack.period.to.prefix(10))"
        return SVGBarChart(
            title: "Alerts and human oversight per \(size == 1 ? "day" : "7 days from the day shown") (UTC), \(span)",
            categories: bins.map { $0.first?.day ?? "" },
            series: [
                series("raised", "#4e79a7", \.raised), series("acknowledged", "#59a14f", \.acknowledged),
                series("overridden", "#e15759", \.overridden), series("snoozed", "#f28e2b", \.snoozed),
            ],
            yLabel: "events", yMax: nil
        ).render()
    }

    /// Acknowledge and override rates per monitoring window (cohort `all`); nil without windows.
    static func monitoring(_ pack: EvidencePack) -> String? {
        let windows = pack.postMarketMonitoring.windows.filter { $0.cohort == "all" }
        guard !windows.isEmpty else { return nil }
        return SVGBarChart(
            title: "Monitoring per window (cohort all): share of alerts acknowledged and overridden",
            categories: windows.map {
                "\($0.modelId)@\($0.modelVersion) \($0.windowStart.prefix(16).replacingOccurrences(of: "T", with: " "))"
            },
            series: [
                .init(
                    name: "acknowledge rate", color: "#59a14f",
                    values: windows.map { $0.figures["acknowledgeRate"]?.number ?? 0 }),
                .init(
                    name: "override rate", color: "#e15759",
                    values: windows.map { $0.figures["overrideRate"]?.number ?? 0 }),
            ],
            yLabel: "share of alerts", yMax: 1
        ).render()
    }
}
