package io.fngate.edge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The socket writes a test's server made, as the JVM saw them (JFR's {@code jdk.SocketWrite}, every write
 * recorded): the sizes of the system calls, in order, to one peer port.
 */
final class SocketWriteEvents {
    /** Talks to the server (letting it finish its writes) and tells the client's local port. */
    interface Exchange {
        int run() throws Exception;
    }

    private SocketWriteEvents() {
    }

    /**
     * @param exchange the exchange to record; returns the client's local port (the writes' remote port)
     * @return the sizes of the writes made to that port while it ran
     */
    static List<Long> during(Exchange exchange) throws Exception {
        Path file = Files.createTempFile("edge-writes", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO);
            recording.start();
            int port = exchange.run();
            recording.stop();
            recording.dump(file);
            List<Long> writes = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getInt("port") == port) {
                    writes.add(e.getLong("bytesWritten"));
                }
            }
            return writes;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
