import Foundation
import Notification
import VigilRuntime

exit(await ServiceRuntime.main(NotificationService.self, environment: ProcessInfo.processInfo.environment))
