package dev.statefort.server.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.statefort.server.cli.StatefortCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs one {@code statefort} command in this JVM and captures its exit code and output. */
public final class CliRun {
    /** What a command did. */
    public record Result(int code, String out, String err) {}

    private CliRun() {}

    /** One command at a time: it swaps {@code System.out} and {@code System.err} while it runs. */
    public static synchronized Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, UTF_8));
        System.setErr(new PrintStream(e, true, UTF_8));
        try {
            int code = StatefortCli.run(args);
            return new Result(code, o.toString(UTF_8), e.toString(UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
