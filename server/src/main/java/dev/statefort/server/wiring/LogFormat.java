package dev.statefort.server.wiring;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.statefort.server.config.ServerConfig;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code log-format = json}: every appender of the root logger writes one JSON object per line
 * (logback's {@link JsonEncoder}: time, level, logger, message, the formatted message and the
 * key-value pairs such as the access log's fields) instead of the text pattern of {@code logback.xml}.
 */
public final class LogFormat {
    private LogFormat() {}

    /** Switches the node's log lines to JSON when the configuration asks for it; text stays as it is. */
    public static void apply(ServerConfig.Logging logging) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(logging, context);
        }
    }

    /** {@link #apply(ServerConfig.Logging)} on {@code context}'s root logger. */
    static void apply(ServerConfig.Logging logging, LoggerContext context) {
        if (!logging.json()) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithFormattedMessage(true); // the message with its arguments in, not only the template
                json.start();
                // swapped in place: stopping the appender would close its stream (once, at start-up)
                appender.setEncoder(json);
            }
        }
    }
}
