import Foundation
import Deidentification
import VigilRuntime

exit(await ServiceRuntime.main(DeidentificationService.self, environment: ProcessInfo.processInfo.environment))
