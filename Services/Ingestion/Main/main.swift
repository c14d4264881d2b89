import Foundation
import Ingestion
import VigilRuntime

exit(await ServiceRuntime.main(IngestionService.self, environment: ProcessInfo.processInfo.environment))
