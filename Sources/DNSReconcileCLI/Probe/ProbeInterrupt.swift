import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM end a probe after the round in flight, with its summary printed.
///
/// The handler only sets an atomic flag (lock-free, so safe inside a signal handler) and puts
/// the default action back, so a second Ctrl-C ends the process at once.
enum ProbeInterrupt {
    private static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            _ = signal(signalNumber) { received in
                ProbeInterrupt.flag.store(true, ordering: .relaxed)
                _ = signal(received, SIG_DFL)
            }
        }
        // A child inherits the blocked-signal mask of the thread that started it (a test runner's
        // worker thread may block SIGINT); make sure both reach us.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
