package dev.statefort.server.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.http.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 25 finding 5: a client's text (here a LockInfo {@code ID} with a line break in it) never
 * starts a log line of its own, in the text format of {@code logback.xml}
 * ({@code LogFormatTest} has the JSON format).
 */
class LogForgingTest {
    private static final String FORGED = "2030-01-01T00:00:00.000Z WARN  AuthFailureThrottle - forged";
    private static final String FORGING_ID = "lock-1\n" + FORGED + "\r\n" + FORGED;

    @TempDir
    Path tmp;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
    }

    @Test
    void aLockIdWithALineBreakWritesNoForgedLineInTheTextLog() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"), new TestClock())) {
            String writer = server.token("default", Permission.WRITE);
            TestServer.Response locked = server.send(
                    "LOCK",
                    "/tf/default/forging",
                    "{\"ID\":\"" + jsonEscaped(FORGING_ID) + "\",\"Operation\":\"OperationTypeApply\"}",
                    writer);
            assertThat(locked.status()).as(locked.body()).isEqualTo(200);
            // a routine lock and unlock log at DEBUG (the audit records them); a forced release logs at INFO
            TestServer.Response forced = server.send("UNLOCK", "/tf/default/forging", "", writer);
            assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        }

        String text = textLog(snapshot());
        assertThat(text)
                .as("the forced release was logged, the lock's ID escaped")
                .contains("lock-1\\n" + FORGED + "\\r\\n");
        assertThat(text.lines())
                .noneMatch(line -> line.startsWith(FORGED))
                .noneMatch(line -> line.contains("WARN") && line.contains("forged") && !line.contains("lock-1"));
    }

    @Test
    void anExceptionMessageWithALineBreakStaysOnItsLineToo() {
        Logger logger = (Logger) LoggerFactory.getLogger("statefort.test");
        LoggingEvent event = new LoggingEvent(
                Logger.class.getName(),
                logger,
                Level.ERROR,
                "refused {}",
                new IllegalStateException("bad name 'x\n" + FORGED + "'"),
                new Object[] {"y\r\n" + FORGED});
        String text = new String(stderrEncoder().encode(event), UTF_8);
        assertThat(text.lines()).noneMatch(line -> line.startsWith(FORGED));
        assertThat(text).contains("bad name 'x\\n" + FORGED).contains("refused y\\r\\n" + FORGED);
    }

    private List<ILoggingEvent> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events.list);
        }
    }

    /** The events as the node's console appender ({@code logback.xml}) writes them. */
    private String textLog(List<ILoggingEvent> logged) {
        Encoder<ILoggingEvent> encoder = stderrEncoder();
        StringBuilder out = new StringBuilder();
        logged.forEach(e -> out.append(new String(encoder.encode(e), UTF_8)));
        return out.toString();
    }

    private Encoder<ILoggingEvent> stderrEncoder() {
        return ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR")).getEncoder();
    }

    private static String jsonEscaped(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
