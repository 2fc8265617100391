package io.fngate.server;

/**
 * Small facts about I/O failures the server acts on.
 */
final class IoFailures {
    private IoFailures() {
    }

    /** Whether a failure is this process running out of file descriptors (EMFILE, ENFILE). */
    static boolean outOfFiles(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("Too many open files")) {
                return true;
            }
        }
        return false;
    }
}
