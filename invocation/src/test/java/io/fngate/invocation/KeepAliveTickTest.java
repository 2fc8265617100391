package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepAliveTickTest {

    @ParameterizedTest(name = "keep-alive {0} ms: streams looked at every {1} ms")
    @CsvSource({
        "5000, 250",   // the default: 4 scans a second
        "60000, 250",  // never slower: a comment at most a quarter second late
        "1000, 50",    // a twentieth of the interval
        "300, 20",     // short intervals (tests) keep the fastest tick
        "1, 20",
    })
    void theKeepAliveTickIsATwentiethOfTheIntervalBetween20And250Ms(long keepAliveMillis, long tickMillis) {
        assertEquals(Duration.ofMillis(tickMillis), InvocationHandler.keepAliveTick(Duration.ofMillis(keepAliveMillis)));
    }
}
