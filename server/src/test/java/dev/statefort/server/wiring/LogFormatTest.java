package dev.statefort.server.wiring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16 point 3: {@code log-format = json} writes one JSON object per line with the key-value pairs. */
class LogFormatTest {
    @Test
    void jsonLogsAreOneObjectPerLineWithMessageLevelLoggerAndKeyValuePairs() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = jsonLogsTo(out);
        context.getLogger("statefort.access")
                .atInfo()
                .addKeyValue("route", "/tf/{project}/{state}")
                .addKeyValue("status", 200)
                .log("POST /tf/{project}/{state} 200");

        String[] lines = out.toString(UTF_8).strip().split("\n");
        assertThat(lines).as(out.toString(UTF_8)).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.path("level").asText()).as(lines[0]).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("statefort.access");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("POST /tf/{project}/{state} 200");
        assertThat(line.path("kvpList").toString())
                .contains("/tf/{project}/{state}")
                .contains("status");
    }

    /** Issue 25 finding 5: a client's line break stays inside its JSON string, the event on one line. */
    @Test
    void jsonLogsKeepEachEventOnOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = jsonLogsTo(out);

        context.getLogger("statefort.test")
                .atWarn()
                .addKeyValue("principal", "user:x\n" + "2030-01-01T00:00:00.000Z WARN  x - forged")
                .setCause(new IllegalStateException("bad\n" + "2030-01-01T00:00:00.000Z WARN  x - forged"))
                .log(
                        "state {} locked ({})",
                        "default/x\n" + "2030-01-01T00:00:00.000Z WARN  x - forged",
                        "lock-1\n" + "2030-01-01T00:00:00.000Z WARN  x - forged");

        assertThat(out.toString(UTF_8).strip().lines()).hasSize(1);
    }

    @Test
    void textStaysTextAndAnUnknownFormatIsRefusedAtStartUp() {
        ServerConfig config = ConfigLoader.load(Map.of("data-dir", "/tmp/unused-statefort"), Map.of(), null);
        assertThat(config.logging()).isEqualTo(new ServerConfig.Logging(false, false));
        assertThat(ConfigLoader.load(
                                Map.of("data-dir", "/tmp/unused-statefort", "log-format", "json", "access-log", "on"),
                                Map.of(),
                                null)
                        .logging())
                .isEqualTo(new ServerConfig.Logging(true, true));
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("data-dir", "/tmp/unused-statefort", "log-format", "xml"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log-format");
    }

    /** A logging context whose root logger writes to {@code out}, switched to JSON by {@link LogFormat}. */
    private static LoggerContext jsonLogsTo(ByteArrayOutputStream out) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%msg%n");
        text.start();
        appender.setEncoder(text); // replaced by the JSON encoder
        appender.setOutputStream(out);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        LogFormat.apply(new ServerConfig.Logging(true, false), context);
        return context;
    }
}
