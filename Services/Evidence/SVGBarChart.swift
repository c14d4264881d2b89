import Foundation

/// A grouped bar chart as one self-contained SVG file: no scripts, fonts, styles or links, so it opens the same
/// in a browser, a Markdown viewer or an archive years later. Each bar carries its value as a tooltip.
struct SVGBarChart {
    struct Series {
        var name: String
        var color: String
        var values: [Double]
    }

    var title: String
    var categories: [String]
    var series: [Series]
    var yLabel: String
    /// A fixed top of the axis (1 for rates); else a round number above the largest value.
    var yMax: Double?

    /// Drawing room: the plot area is `plotHeight` high; margins follow from the labels.
    static let plotHeight = 200.0
    static let fontWidth = 6.2

    func render() -> String {
        // Category labels are drawn at -40°: the longest sets the bottom margin and how far the first reaches left.
        let longest = Double(categories.map(\.count).max() ?? 0) * Self.fontWidth
        let margin = (left: max(60, longest * 0.77 + 4), right: 20.0, top: 56.0, bottom: 24 + longest * 0.65)
        let height = margin.top + Self.plotHeight + margin.bottom
        let wanted = max(
            margin.left + margin.right + Double(categories.count) * 28, 560, 20 + Double(title.count) * 8)
        let width = min(wanted, 1200)
        let plot = (width: width - margin.left - margin.right, height: Self.plotHeight)
        let (top, step) = Self.axis(yMax ?? series.flatMap(\.values).max() ?? 0, fixed: yMax != nil)
        func y(_ value: Double) -> Double { margin.top + plot.height * (1 - min(max(value / top, 0), 1)) }
        var svg = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Self.f(width))" height="\#(Self.f(height))" "#
                + #"viewBox="0 0 \#(Self.f(width)) \#(Self.f(height))" font-family="sans-serif" font-size="11">"#,
            "<title>\(Self.escape(title))</title>",
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="14" y="20" font-size="14" font-weight="bold">\#(Self.escape(title))</text>"#,
        ]
        var legendX = 14.0
        for item in series {
            svg.append(#"<rect x="\#(Self.f(legendX))" y="30" width="10" height="10" fill="\#(item.color)"/>"#)
            svg.append(#"<text x="\#(Self.f(legendX + 14))" y="39">\#(Self.escape(item.name))</text>"#)
            legendX += 24 + Double(item.name.count) * 6.5
        }
        for tick in stride(from: 0.0, through: top + step / 2, by: step) {
            svg.append(
                #"<line x1="\#(Self.f(margin.left))" x2="\#(Self.f(width - margin.right))" "#
                    + #"y1="\#(Self.f(y(tick)))" y2="\#(Self.f(y(tick)))" stroke="rgb(224,224,224)"/>"#)
            svg.append(
                #"<text x="\#(Self.f(margin.left - 6))" y="\#(Self.f(y(tick) + 4))" text-anchor="end">"#
                    + "\(Self.label(tick))</text>")
        }
        let middle = margin.top + plot.height / 2
        svg.append(
            #"<text x="14" y="\#(Self.f(middle))" transform="rotate(-90 14 \#(Self.f(middle)))" "#
                + #"text-anchor="middle">\#(Self.escape(yLabel))</text>"#)
        let group = plot.width / Double(max(categories.count, 1))
        let bar = group * 0.8 / Double(max(series.count, 1))
        // At most about 24 category labels, evenly spaced, so long periods stay readable.
        let every = max(1, Int((Double(categories.count) / 24).rounded(.up)))
        for (index, category) in categories.enumerated() {
            let x0 = margin.left + Double(index) * group + group * 0.1
            for (seriesIndex, item) in series.enumerated() where index < item.values.count {
                let value = item.values[index]
                let x = x0 + Double(seriesIndex) * bar
                svg.append(
                    #"<rect x="\#(Self.f(x))" y="\#(Self.f(y(value)))" width="\#(Self.f(max(bar - 1, 0.5)))" "#
                        + #"height="\#(Self.f(y(0) - y(value)))" fill="\#(item.color)">"#
                        + "<title>\(Self.escape("\(category) \(item.name): \(Self.label(value))"))</title></rect>")
            }
            if index % every == 0 {
                let x = margin.left + (Double(index) + 0.5) * group
                let base = height - margin.bottom + 14
                svg.append(
                    #"<text x="\#(Self.f(x))" y="\#(Self.f(base))" text-anchor="end" "#
                        + #"transform="rotate(-40 \#(Self.f(x)) \#(Self.f(base)))">\#(Self.escape(category))</text>"#)
            }
        }
        svg.append(
            #"<line x1="\#(Self.f(margin.left))" x2="\#(Self.f(width - margin.right))" "#
                + #"y1="\#(Self.f(y(0)))" y2="\#(Self.f(y(0)))" stroke="rgb(51,51,51)"/>"#)
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The axis top and tick step: steps of 1, 2 or 5 times a power of ten, about four ticks.
    static func axis(_ largest: Double, fixed: Bool) -> (top: Double, step: Double) {
        let target = largest > 0 && largest.isFinite ? largest : 1
        let raw = target / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let top = fixed ? target : (target / step).rounded(.up) * step
        return (top, step)
    }

    /// Coordinates to a tenth of a pixel.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Values as people read them: whole numbers plain, others to two decimals.
    static func label(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
