package dev.statefort.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@code bench/cluster/run.sh}: real PostgreSQL servers (embedded, from their own binaries) and
 * one S3-compatible server (s3proxy on files) on 127.0.0.1, started from the test classpath. Prints
 * {@code postgres<N>=<port>} and {@code s3=<port>} lines, then {@code ready}, and runs until it is
 * stopped (SIGTERM); everything it started is stopped with it.
 *
 * <p>{@code java -cp ... dev.statefort.it.support.BackingServices <dir> <postgres count>}
 */
public final class BackingServices {
    private BackingServices() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        List<EmbeddedPostgres> databases = new ArrayList<>();
        S3Server s3 = new S3Server(dir.resolve("s3"), StatefortProcess.freePort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(databases, s3)));
        for (int i = 1; i <= count; i++) {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            databases.add(postgres);
            System.out.println("postgres" + i + "=" + postgres.getPort());
        }
        s3.start();
        System.out.println("s3=" + s3.endpoint().substring(s3.endpoint().lastIndexOf(':') + 1));
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM, which runs the shutdown hook
    }

    private static void stop(List<EmbeddedPostgres> databases, S3Server s3) {
        try {
            s3.close();
        } catch (Exception e) {
            System.err.println("s3proxy: " + e);
        }
        for (EmbeddedPostgres postgres : databases) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("postgres: " + e);
            }
        }
    }
}
