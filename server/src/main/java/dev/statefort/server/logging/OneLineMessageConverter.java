package dev.statefort.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %oneLineMsg} in {@code logback.xml}: the formatted message with its control characters
 * escaped ({@link LogText}), so whatever a client sent stays inside its one log line.
 */
public final class OneLineMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
