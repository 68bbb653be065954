package dev.statefort.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %oneLineEx} in {@code logback.xml}: a stack trace as usual, but each exception's message
 * (which may quote a client's text) has its control characters escaped ({@link LogText}): the trace
 * has its own lines, none of them written by a client.
 */
public final class OneLineThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(EscapedMessages.of(throwable));
    }

    /** A throwable, its causes and suppressed ones as they are, but with escaped messages. */
    private record EscapedMessages(IThrowableProxy original) implements IThrowableProxy {
        static IThrowableProxy of(IThrowableProxy throwable) {
            return throwable == null ? null : new EscapedMessages(throwable);
        }

        @Override
        public String getMessage() {
            return LogText.escape(original.getMessage());
        }

        @Override
        public String getClassName() {
            return original.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return original.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return original.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(original.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = original.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = of(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return original.isCyclic();
        }
    }
}
