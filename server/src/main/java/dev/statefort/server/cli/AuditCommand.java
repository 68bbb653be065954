package dev.statefort.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.server.wiring.StatefortNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort audit export}: the audit log as JSON lines, oldest first. */
@Command(
        name = "audit",
        description = "The audit log.",
        mixinStandardHelpOptions = true,
        subcommands = {AuditCommand.Export.class})
final class AuditCommand {

    @Command(
            name = "export",
            description = "Write audit events as JSON lines (one object per line, oldest first).",
            mixinStandardHelpOptions = true)
    static final class Export implements Callable<Integer> {
        private static final int PAGE = 1000;

        @Mixin
        ConfigOptions options;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Option(names = "--state", paramLabel = "S")
        String state;

        @Option(names = "--principal", paramLabel = "NAME")
        String principal;

        @Option(names = "--action", paramLabel = "A")
        String action;

        @Option(names = "--from", paramLabel = "TIME", description = "ISO-8601, inclusive.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "ISO-8601, exclusive.")
        String to;

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Override
        public Integer call() throws IOException {
            Instant fromTime = time("--from", from);
            Instant toTime = time("--to", to);
            ObjectMapper json = new ObjectMapper();
            try (StatefortNode node = StatefortNode.open(options.load());
                    Writer out = output == null
                            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                            : Files.newBufferedWriter(output)) {
                // The store pages newest first; collect the pages, then write oldest first.
                java.util.ArrayList<List<AuditEvent>> pages = new java.util.ArrayList<>();
                String before = null;
                while (true) {
                    List<AuditEvent> page = node.project()
                            .audit()
                            .read(
                                    Cli.principal(),
                                    new AuditQuery(project, state, principal, action, fromTime, toTime, PAGE, before));
                    if (page.isEmpty()) {
                        break;
                    }
                    pages.add(page);
                    before = page.get(page.size() - 1).id();
                }
                long count = 0;
                for (int p = pages.size() - 1; p >= 0; p--) {
                    List<AuditEvent> page = pages.get(p);
                    for (int i = page.size() - 1; i >= 0; i--) {
                        out.write(json.writeValueAsString(line(json, page.get(i))));
                        out.write('\n');
                        count++;
                    }
                }
                out.flush();
                if (output != null) {
                    System.out.println("wrote " + count + " audit events to " + output);
                }
                return 0;
            } catch (UncheckedIOException e) {
                throw e;
            }
        }

        private static ObjectNode line(ObjectMapper json, AuditEvent e) throws IOException {
            ObjectNode n = json.createObjectNode();
            n.put("id", e.id());
            n.put("at", e.at().toString());
            n.put("principal", e.principal());
            n.put("sourceIp", e.sourceIp());
            n.put("action", e.action());
            n.put("outcome", e.outcome());
            n.put("project", e.project());
            n.put("state", e.state());
            if (e.version() == null) {
                n.putNull("version");
            } else {
                n.put("version", e.version());
            }
            n.set("detail", json.readTree(e.detail() == null ? "{}" : e.detail()));
            return n;
        }

        private static Instant time(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(option + " must be an ISO-8601 UTC time such as 2026-12-01T10:00:00Z");
            }
        }
    }
}
