package io.fngate.registry;

/**
 * An instance's health and the run of equal check results that led there. Pure: the thresholds decide.
 * <p>
 * A new instance is {@link InstanceHealth#UNKNOWN}: one passed check makes it healthy (it has never failed),
 * {@code unhealthyThreshold} failures in a row make it unhealthy; a healthy instance becomes unhealthy after
 * {@code unhealthyThreshold} failures in a row, an unhealthy one healthy after {@code healthyThreshold}
 * passes in a row.
 *
 * @param health    current health
 * @param successes passed checks in a row
 * @param failures  failed checks in a row
 */
record HealthState(InstanceHealth health, int successes, int failures) {
    static final HealthState NEW = new HealthState(InstanceHealth.UNKNOWN, 0, 0);

    HealthState after(boolean passed, int unhealthyThreshold, int healthyThreshold) {
        if (passed) {
            int run = successes + 1;
            InstanceHealth next = switch (health) {
                case UNKNOWN, HEALTHY -> InstanceHealth.HEALTHY;
                case UNHEALTHY -> run >= healthyThreshold ? InstanceHealth.HEALTHY : InstanceHealth.UNHEALTHY;
                case UNCHECKED -> InstanceHealth.UNCHECKED;
            };
            return new HealthState(next, run, 0);
        }
        int run = failures + 1;
        InstanceHealth next = switch (health) {
            case UNKNOWN -> run >= unhealthyThreshold ? InstanceHealth.UNHEALTHY : InstanceHealth.UNKNOWN;
            case HEALTHY -> run >= unhealthyThreshold ? InstanceHealth.UNHEALTHY : InstanceHealth.HEALTHY;
            case UNHEALTHY -> InstanceHealth.UNHEALTHY;
            case UNCHECKED -> InstanceHealth.UNCHECKED;
        };
        return new HealthState(next, 0, run);
    }
}
