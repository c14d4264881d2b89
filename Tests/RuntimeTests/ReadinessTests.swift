import Testing
import VigilRuntime

@Suite struct ReadinessTests {
    @Test func readyOnlyWhenEveryCheckHolds() {
        let readiness = Readiness()
        #expect(!readiness.isReady, "no checks registered yet means not ready")
        readiness.register("postgres", "kafka")
        readiness.set("postgres", true)
        #expect(!readiness.isReady)
        readiness.set("kafka", true)
        #expect(readiness.isReady)
        readiness.set("postgres", false)
        #expect(!readiness.isReady)
    }
}
