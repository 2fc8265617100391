package io.fngate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** A function instance that answers 200 "ok" and keeps the last request head it received, for header checks. */
public final class ScriptedFunctionProbe implements AutoCloseable {
    private final ScriptedFunction function;
    private final AtomicReference<String> last;

    private ScriptedFunctionProbe(AtomicReference<String> last) throws IOException {
        this.last = last;
        this.function = new ScriptedFunction((i, head, in, out) -> {
            last.set(head);
            in.skipNBytes(ScriptedFunction.contentLength(head));
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            return true;
        });
    }

    public static ScriptedFunctionProbe start() throws IOException {
        return new ScriptedFunctionProbe(new AtomicReference<>(""));
    }

    public String url() {
        return function.url();
    }

    /** The request line and headers of the last request. */
    public String lastHead() {
        return last.get();
    }

    @Override
    public void close() throws IOException {
        function.close();
    }
}
