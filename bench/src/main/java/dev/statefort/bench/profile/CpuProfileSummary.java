package dev.statefort.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an async-profiler CPU profile in collapsed form recorded with {@code threads} (each stack
 * starts with its thread's name) and prints the CPU per unit of work by component (the carrier
 * threads that run the virtual threads, the SQLite writer, the JIT compilers, GC, the analysis pool,
 * everything else) and the hottest frames.
 *
 * <p>{@code java -cp benchmarks.jar dev.statefort.bench.profile.CpuProfileSummary FILE INTERVAL_MS UNITS [TOP]}
 */
public final class CpuProfileSummary {
    /** Which component a thread belongs to, first match wins. */
    private static final Map<String, Pattern> COMPONENTS = components();

    private CpuProfileSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CpuProfileSummary <collapsed-file> <interval-ms> <units> [top]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        double intervalMs = Double.parseDouble(args[1]);
        double units = Double.parseDouble(args[2]);
        int top = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Summary summary = summarize(lines);
        System.out.print(summary.render(intervalMs, units, top));
    }

    /** Samples per component and per leaf frame (self time), from collapsed lines {@code a;b;c N}. */
    static Summary summarize(List<String> lines) {
        Map<String, Long> byComponent = new LinkedHashMap<>();
        COMPONENTS.keySet().forEach(c -> byComponent.put(c, 0L));
        byComponent.put("other", 0L);
        Map<String, Long> bySelfFrame = new TreeMap<>();
        Map<String, Long> byCarrierFrame = new TreeMap<>();
        long total = 0;
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long samples = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            String component = componentOf(frames[0]);
            byComponent.merge(component, samples, Long::sum);
            bySelfFrame.merge(component + ": " + frames[frames.length - 1], samples, Long::sum);
            if (component.equals("carriers (request work)")) {
                for (String frame : distinct(frames)) {
                    if (frame.startsWith("dev/statefort/") || frame.startsWith("dev.statefort.")) {
                        byCarrierFrame.merge(frame, samples, Long::sum);
                    }
                }
            }
            total += samples;
        }
        return new Summary(byComponent, bySelfFrame, byCarrierFrame, total);
    }

    record Summary(
            Map<String, Long> byComponent,
            Map<String, Long> bySelfFrame,
            Map<String, Long> byStatefortFrame,
            long total) {
        String render(double intervalMs, double units, int top) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    "cpu samples %d (%.0f ms of CPU at %.2f ms each), units %.0f: %.3f ms of CPU per unit%n",
                    total, total * intervalMs, intervalMs, units, total * intervalMs / units));
            out.append(String.format("%-28s %10s %8s %14s%n", "component", "samples", "share", "cpu-ms/unit"));
            byComponent.forEach((c, n) -> out.append(String.format(
                    "%-28s %10d %7.1f%% %14.3f%n", c, n, 100.0 * n / Math.max(1, total), n * intervalMs / units)));
            out.append(String.format("%nhottest frames (self time; component: frame):%n"));
            appendTop(out, bySelfFrame, top, intervalMs, units);
            out.append(String.format("%nStatefort frames on the carriers (inclusive):%n"));
            appendTop(out, byStatefortFrame, top, intervalMs, units);
            return out.toString();
        }

        private void appendTop(StringBuilder out, Map<String, Long> counts, int top, double intervalMs, double units) {
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(top)
                    .forEach(e -> out.append(String.format(
                            "%7.1f%% %9.3f ms/unit  %s%n",
                            100.0 * e.getValue() / Math.max(1, total), e.getValue() * intervalMs / units, e.getKey())));
        }
    }

    static String componentOf(String threadFrame) {
        for (Map.Entry<String, Pattern> c : COMPONENTS.entrySet()) {
            if (c.getValue().matcher(threadFrame).find()) {
                return c.getKey();
            }
        }
        return "other";
    }

    private static List<String> distinct(String[] frames) {
        return java.util.Arrays.stream(frames).distinct().toList();
    }

    private static Map<String, Pattern> components() {
        Map<String, Pattern> c = new LinkedHashMap<>();
        c.put("JIT C2", Pattern.compile("C2 Compiler"));
        c.put("JIT C1", Pattern.compile("C1 Compiler"));
        c.put("GC", Pattern.compile("GC Thread|G1 |ZGC|Shenandoah|VM Periodic|GC "));
        c.put("SQLite writer", Pattern.compile("statefort-sqlite-writer"));
        c.put("analysis pool", Pattern.compile("statefort-analysis"));
        c.put("carriers (request work)", Pattern.compile("ForkJoinPool-\\d+-worker|carrier|qtp|jetty"));
        return c;
    }
}
