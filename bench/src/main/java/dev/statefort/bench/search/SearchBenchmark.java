package dev.statefort.bench.search;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.fleet.ConsumerLedger;
import dev.statefort.core.fleet.FleetFilter;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.IndexedInstance;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.store.jdbc.JdbcMetadataStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The fleet search at scale (issue 32): fills an embedded (SQLite) store with {@code states} states of
 * {@code resources} resource instances each, indexed as the server indexes them, then times searches
 * through the use case the REST API calls ({@link FleetView}), warm, and prints p50/p99/max per kind
 * of query for a global reader and for a reader of one project of the twenty.
 *
 * <p>{@code java -cp benchmarks.jar dev.statefort.bench.search.SearchBenchmark DIR [STATES] [RESOURCES] [ROUNDS]}
 * (bench/search/run.sh). The store in DIR is kept and reused when it was made for the same sizes.
 */
public final class SearchBenchmark {
    private static final int PROJECTS = 20;
    private static final String[] TYPES = {
        "aws_s3_bucket",
        "aws_iam_role",
        "aws_subnet",
        "aws_instance",
        "aws_security_group",
        "aws_route53_record",
        "aws_lambda_function",
        "google_compute_instance",
        "azurerm_storage_account",
        "kubernetes_namespace"
    };

    private SearchBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int states = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int resources = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Path marker = dir.resolve("made-for");
        String sizes = states + "x" + resources;
        boolean reuse = Files.exists(marker) && Files.readString(marker).equals(sizes);
        try (MetadataStore store = JdbcMetadataStores.sqlite(dir.resolve("statefort.db"))) {
            if (!reuse) {
                long t0 = System.nanoTime();
                fill(store, states, resources);
                Files.writeString(marker, sizes);
                System.out.printf(
                        "filled %d states x %d resources in %.1f s%n",
                        states, resources, (System.nanoTime() - t0) / 1e9);
            } else {
                System.out.printf("reusing %d states x %d resources in %s%n", states, resources, dir);
            }
            System.out.printf("database file: %d MiB%n", Files.size(dir.resolve("statefort.db")) >> 20);
            measure(store, states, rounds);
        }
    }

    private static void fill(MetadataStore store, int states, int resources) {
        Instant now = Instant.now();
        for (int p = 0; p < PROJECTS; p++) {
            store.createProject("team-" + p, now);
        }
        Random random = new Random(32);
        for (int s = 0; s < states; s++) {
            StateKey key = new StateKey("team-" + (s % PROJECTS), "stack-" + s);
            NewVersion version = new NewVersion(
                    "blobs/" + key.project() + "/" + key.name() + "/1",
                    1L,
                    "lineage-" + s,
                    "0".repeat(64),
                    40_000,
                    "bench",
                    now,
                    resources,
                    "1.12.1",
                    List.of());
            CommitResult committed = store.commitVersion(VersionCommit.of(key, version, null));
            long number = ((CommitResult.Committed) committed).version().number();
            List<IndexedInstance> instances = new ArrayList<>(resources);
            for (int r = 0; r < resources; r++) {
                instances.add(instance(s, r, random));
            }
            store.replaceIndex(new StateIndex(key, number, StateIndex.Status.INDEXED, instances));
        }
    }

    /** A plausible instance: every third in a module, ids, ARNs for the AWS types, names, some identities. */
    static IndexedInstance instance(int state, int r, Random random) {
        String type = TYPES[r % TYPES.length];
        String name = "res_" + r;
        String module = r % 3 == 0 ? "module.app_" + (r % 7) : "";
        String address = (module.isEmpty() ? "" : module + ".") + type + "." + name;
        String id = String.format(
                "%s-%08x%04x",
                type.substring(type.indexOf('_') + 1, Math.min(type.length(), type.indexOf('_') + 5)),
                random.nextInt(),
                state % 0xffff);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        if (type.startsWith("aws_")) {
            fields.put(
                    "arn",
                    "arn:aws:" + type.substring(4, Math.min(type.length(), 9)) + ":eu-west-1:123456789012:" + id);
        }
        fields.put("name", "stack-" + state + "-" + name);
        if (r % 5 == 0) {
            fields.put("identity.account_id", "123456789012");
            fields.put("identity.id", id);
        }
        String owner = r % 5 == 0 ? type + " identity account_id=123456789012 id=" + id : type + " id=" + id;
        return new IndexedInstance(
                address, type, "provider[\"registry.terraform.io/hashicorp/aws\"]", "managed", module, fields, owner);
    }

    private static void measure(MetadataStore store, int states, int rounds) {
        Clock clock = Clock.systemUTC();
        FleetView fleet = new FleetView(store, new ConsumerLedger(store, clock), clock);
        Principal global = new Principal("user:bench", null, Permission.READ);
        Principal oneProject = new Principal("token:bench", "team-7", Permission.READ);
        int rare = states / 2; // an exact name in one state
        Map<String, Supplier<Integer>> queries = new LinkedHashMap<>();
        for (Principal who : List.of(global, oneProject)) {
            String as = who == global ? "global reader" : "one project's reader";
            int mine = who == global ? rare : 7 + PROJECTS * 3;
            queries.put(as + ": a name (one hit)", () -> fleet.search(who, "stack-" + mine + "-res_3", null, null, 50)
                    .size());
            queries.put(as + ": an address prefix (many)", () -> fleet.search(who, "aws_s3_bucket.res", null, null, 50)
                    .size());
            queries.put(as + ": a module path (many)", () -> fleet.search(who, "module.app_3", null, null, 50)
                    .size());
            queries.put(as + ": an identity value (many)", () -> fleet.search(who, "123456789012", null, null, 50)
                    .size());
            queries.put(as + ": a type (many)", () -> fleet.search(who, null, "aws_lambda_function", null, 50)
                    .size());
            queries.put(as + ": a prefix and a rare type", () -> fleet.search(
                            who, "stack-1", "kubernetes_namespace", null, 50)
                    .size());
            queries.put(as + ": nothing matches", () -> fleet.search(who, "zzz-not-there", null, null, 50)
                    .size());
        }
        System.out.printf("%-50s %6s %9s %9s %9s%n", "query", "hits", "p50 ms", "p99 ms", "max ms");
        for (var q : queries.entrySet()) {
            for (int i = 0; i < Math.max(20, rounds / 5); i++) {
                q.getValue().get(); // warm
            }
            double[] ms = new double[rounds];
            int hits = 0;
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                hits = q.getValue().get();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(
                    "%-50s %6d %9.2f %9.2f %9.2f%n",
                    q.getKey(), hits, ms[rounds / 2], ms[(int) (rounds * 0.99)], ms[rounds - 1]);
        }
        timeOnce("fleet overview, global reader (all states)", () -> fleet.states(global, FleetFilter.ALL)
                .size());
        timeOnce("objects managed twice, global reader", () -> fleet.duplicates(global, null, 50)
                .size());
    }

    private static void timeOnce(String what, Supplier<Integer> work) {
        work.get();
        double[] ms = new double[5];
        int n = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            n = work.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-50s %6d %9.2f (median of 5)%n", what, n, ms[2]);
    }
}
