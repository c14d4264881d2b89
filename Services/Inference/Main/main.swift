import Foundation
import Inference
import VigilRuntime

exit(await ServiceRuntime.main(InferenceService.self, environment: ProcessInfo.processInfo.environment))
