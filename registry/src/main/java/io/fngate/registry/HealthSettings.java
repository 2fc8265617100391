package io.fngate.registry;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Active health checking and status settings ({@code registry.health.*}).
 *
 * @param interval           time between two checks of one instance
 * @param timeout            time an instance has to answer a check, unless its version sets one
 * @param unhealthyThreshold failed checks in a row that take an instance out of the rotation
 * @param healthyThreshold   passed checks in a row that bring an unhealthy instance back
 * @param gracePeriod        how long a deployment without a healthy instance is DEPLOYING before it is ERROR
 */
record HealthSettings(Duration interval, Duration timeout, int unhealthyThreshold, int healthyThreshold,
                      Duration gracePeriod) {

    static final HealthSettings DEFAULTS = new HealthSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 2,
            Duration.ofSeconds(60));

    HealthSettings {
        positive("interval", interval);
        positive("timeout", timeout);
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthy-threshold and healthy-threshold: must be at least 1");
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace-period: must not be negative");
        }
    }

    static HealthSettings create(Config health) {
        HealthSettings d = DEFAULTS;
        Duration interval = Durations.config(health.get("interval"), d.interval());
        Duration timeout = Durations.config(health.get("timeout"), d.timeout());
        Duration grace = Durations.config(health.get("grace-period"), d.gracePeriod());
        try {
            return new HealthSettings(interval, timeout,
                    health.get("unhealthy-threshold").asInt().orElse(d.unhealthyThreshold()),
                    health.get("healthy-threshold").asInt().orElse(d.healthyThreshold()), grace);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(health.key() + "." + e.getMessage(), e);
        }
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + ": " + d + " (expected: more than zero)");
        }
    }
}
