package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthStateTest {

    /** Results are a string of + (passed) and - (failed) checks, applied to a new instance; thresholds N=3, M=2. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "+, HEALTHY",
            "-, UNKNOWN",
            "--, UNKNOWN",
            "---, UNHEALTHY",
            "---+, UNHEALTHY",
            "---++, HEALTHY",
            "+--, HEALTHY",
            "+---, UNHEALTHY",
            "+--+--, HEALTHY",
            "+---+-++, HEALTHY",
            "+---+-+, UNHEALTHY",
    })
    void thresholdsDecideTransitions(String results, InstanceHealth expected) {
        HealthState s = HealthState.NEW;
        for (char c : results.toCharArray()) {
            s = s.after(c == '+', 3, 2);
        }
        assertEquals(expected, s.health());
    }
}
