package io.fngate.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scrape of {@code /metrics} in the Prometheus text format, parsed into samples: enough to read counters and
 * histogram counts by name and labels, and to compare the set of series.
 */
final class Scrape {
    record Sample(String name, Map<String, String> labels, double value) {
        String series() {
            return name + labels;
        }
    }

    final String text;
    final List<Sample> samples = new ArrayList<>();
    /** Metric families declared by {@code # TYPE} lines. */
    final Set<String> families = new HashSet<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    static Scrape of(HttpClient http, int adminPort, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"));
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + res.statusCode());
        }
        return new Scrape(res.body());
    }

    static Scrape of(HttpClient http, int adminPort) throws Exception {
        return of(http, adminPort, null);
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace < 0 || brace > space) {
            name = line.substring(0, space);
        } else {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\') {
                        j++;
                    }
                    v.append(line.charAt(j++));
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    /**
     * The sum of every sample of {@code name} whose labels include the given ones.
     *
     * @param labels name, value, name, value...
     */
    double sum(String name, String... labels) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name.equals(name) && matches(s, labels)) {
                total += s.value;
            }
        }
        return total;
    }

    /** Whether any sample of {@code name} has these labels. */
    boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> s.name.equals(name) && matches(s, labels));
    }

    private static boolean matches(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    Set<String> series() {
        Set<String> all = new HashSet<>();
        samples.forEach(s -> all.add(s.series()));
        return all;
    }

    /** Whether a metric of this name is exposed (a family, or a sample such as {@code x_bucket} of family x). */
    boolean exposes(String metric) {
        if (families.contains(metric)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (metric.endsWith(suffix) && families.contains(metric.substring(0, metric.length() - suffix.length()))) {
                return true;
            }
        }
        return samples.stream().anyMatch(s -> s.name.equals(metric));
    }
}
