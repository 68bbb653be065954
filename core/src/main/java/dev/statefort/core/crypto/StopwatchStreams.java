package dev.statefort.core.crypto;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams that add up the time spent in the stream they wrap. Nested around each stage of a
 * pipeline, the difference between two of them is the time of the stage between them.
 */
final class StopwatchStreams {
    private StopwatchStreams() {}

    /** The time {@code outer} spent beyond {@code inner} (never negative). */
    static long between(long outer, long inner) {
        return Math.max(0, outer - inner);
    }

    /** Adds up the time of every write, flush and close. */
    static final class Out extends FilterOutputStream {
        long nanos;

        Out(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            long start = System.nanoTime();
            try {
                out.write(b);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long start = System.nanoTime();
            try {
                out.write(b, off, len);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public void flush() throws IOException {
            long start = System.nanoTime();
            try {
                out.flush();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public void close() throws IOException {
            long start = System.nanoTime();
            try {
                out.close();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }
    }

    /** Adds up the time of every read and skip. */
    static class In extends FilterInputStream {
        long nanos;

        In(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            try {
                return in.read();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long start = System.nanoTime();
            try {
                return in.read(b, off, len);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long start = System.nanoTime();
            try {
                return in.skip(n);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }
    }
}
