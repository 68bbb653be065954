package dev.statefort.server.wiring;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded random state bodies for round trips: valid JSON objects of an exact size, skewed towards small (most
 * below 16 KiB, some up to 512 KiB, a few up to 5 MiB), half compressible words and half random characters.
 */
final class RandomStates {
    static final int MAX_SIZE = 5 * 1024 * 1024;
    private static final String[] WORDS = {"aws_instance", "\\\"id\\\"", "subnet-", "10.0.", "tags", "arn:aws:"};
    private static final char[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/".toCharArray();

    private final Random random;

    RandomStates(long seed) {
        this.random = new Random(seed);
    }

    /** A size from the skewed distribution, at least 2 (the smallest JSON object). */
    int nextSize() {
        double r = random.nextDouble();
        int size;
        if (r < 0.70) {
            size = random.nextInt(16 * 1024);
        } else if (r < 0.95) {
            size = random.nextInt(512 * 1024);
        } else {
            size = random.nextInt(MAX_SIZE + 1);
        }
        return Math.max(2, size);
    }

    /** A state body of exactly {@code size} bytes (>= 2). */
    byte[] body(int size, long serial) {
        String head = "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"rt\",\"outputs\":{\"blob\":{\"value\":\"";
        String tail = "\",\"type\":\"string\"}},\"resources\":[]}";
        if (size < head.length() + tail.length()) {
            return ("{" + " ".repeat(size - 2) + "}").getBytes(StandardCharsets.US_ASCII);
        }
        StringBuilder value = new StringBuilder(size);
        int length = size - head.length() - tail.length();
        while (value.length() < length) {
            if (random.nextBoolean()) {
                value.append(WORDS[random.nextInt(WORDS.length)]);
            } else {
                for (int i = 0; i < 16; i++) {
                    value.append(ALPHABET[random.nextInt(ALPHABET.length)]);
                }
            }
        }
        value.setLength(length);
        // never cut an escape in half
        if (value.charAt(length - 1) == '\\') {
            value.setCharAt(length - 1, 'x');
        }
        return (head + value + tail).getBytes(StandardCharsets.US_ASCII);
    }

    /** A state of exactly {@code size} bytes generated on the fly, never held in memory. */
    static InputStream streamed(long size) {
        byte[] head = "{\"version\":4,\"serial\":1,\"lineage\":\"big\",\"outputs\":{\"blob\":{\"value\":\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\",\"type\":\"string\"}},\"resources\":[]}".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++, position++) {
                    long fromEnd = size - position;
                    if (position < head.length) {
                        b[off + i] = head[(int) position];
                    } else if (fromEnd <= tail.length) {
                        b[off + i] = tail[(int) (tail.length - fromEnd)];
                    } else {
                        b[off + i] = (byte) ALPHABET[(int) ((position * 2654435761L >>> 7) % ALPHABET.length)];
                    }
                }
                return n;
            }
        };
    }
}
