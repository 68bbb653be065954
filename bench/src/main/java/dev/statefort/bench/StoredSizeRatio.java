package dev.statefort.bench;

import dev.statefort.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 3: the on-disk size of a state stored compressed and encrypted (the file the embedded
 * default writes) against its raw size. Prints one line per state: generated typical states, plus
 * any state files given as arguments.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.statefort.bench.StoredSizeRatio [state.tfstate ...]
 * </pre>
 */
public final class StoredSizeRatio {
    private StoredSizeRatio() {}

    public static void main(String[] args) throws IOException {
        Map<String, byte[]> states = new LinkedHashMap<>();
        TerraformStateGenerator generator = new TerraformStateGenerator(5);
        for (int resources : new int[] {5, 50, 500, 5_000}) {
            states.put(
                    "generated, " + resources + " resources",
                    generator.resources(resources, TerraformStateGenerator.Variant.ORIGINAL));
        }
        for (String arg : args) {
            states.put(arg, Files.readAllBytes(Path.of(arg)));
        }
        System.out.printf("%-40s %12s %12s %12s %8s%n", "state", "raw bytes", "plain file", "encrypted", "ratio");
        for (Map.Entry<String, byte[]> state : states.entrySet()) {
            long plain = storedFileSize("plaintext", state.getValue());
            long encrypted = storedFileSize("encrypted", state.getValue());
            System.out.printf(
                    "%-40s %12d %12d %12d %8.3f%n",
                    state.getKey(),
                    state.getValue().length,
                    plain,
                    encrypted,
                    (double) encrypted / state.getValue().length);
        }
    }

    /** Stores the state through the mode's store over files, returns the size of the file written. */
    static long storedFileSize(String mode, byte[] state) throws IOException {
        try (BenchStores stores = BenchStores.open(mode, "files")) {
            stores.measured().put("p/s/v1", new ByteArrayInputStream(state));
            BlobStore raw = stores.underlying();
            long size = 0;
            try (InputStream in = raw.open("p/s/v1")) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    size += n;
                }
            }
            return size;
        }
    }
}
