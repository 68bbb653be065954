package dev.statefort.it.encryption;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Looks for a marker in files the way someone holding a copy of them would: in the raw bytes, and in every zstd,
 * gzip or zlib stream that starts anywhere in the file (a blob that was only compressed, a compressed page in a
 * database file). Decompression is bounded, so a garbage "stream" costs little.
 */
public final class MarkerScan {
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
    private static final byte[] GZIP_MAGIC = {0x1F, (byte) 0x8B, 0x08};
    private static final int MAX_INFLATED = 64 * 1024 * 1024;

    private MarkerScan() {}

    /** Every regular file under {@code root}. */
    public static List<Path> filesUnder(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the marker was found in {@code file} ("raw", "zstd@123", ...); empty when nowhere. */
    public static List<String> findings(Path file, byte[] marker) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> found = new ArrayList<>();
        if (indexOf(bytes, marker, 0) >= 0) {
            found.add("raw");
        }
        for (int at = 0; at < bytes.length; at++) {
            if (startsWith(bytes, at, ZSTD_MAGIC) && contains(new ZstdInputStream(slice(bytes, at)), marker)) {
                found.add("zstd@" + at);
            }
            if (startsWith(bytes, at, GZIP_MAGIC) && contains(gzip(bytes, at), marker)) {
                found.add("gzip@" + at);
            }
            if (isZlibHeader(bytes, at) && contains(new InflaterInputStream(slice(bytes, at)), marker)) {
                found.add("zlib@" + at);
            }
        }
        return found;
    }

    private static InputStream gzip(byte[] bytes, int at) {
        try {
            return new GZIPInputStream(slice(bytes, at));
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }

    private static ByteArrayInputStream slice(byte[] bytes, int at) {
        return new ByteArrayInputStream(bytes, at, bytes.length - at);
    }

    /** Reads what a stream inflates to (up to a bound) and looks for the marker; a broken stream is fine. */
    private static boolean contains(InputStream in, byte[] marker) {
        byte[] window = new byte[1 << 20];
        int kept = 0;
        long total = 0;
        try (in) {
            while (total < MAX_INFLATED) {
                int n = in.read(window, kept, window.length - kept);
                if (n < 0) {
                    break;
                }
                total += n;
                kept += n;
                if (indexOf(window, marker, 0, kept) >= 0) {
                    return true;
                }
                if (kept == window.length) {
                    int keep = marker.length - 1;
                    System.arraycopy(window, kept - keep, window, 0, keep);
                    kept = keep;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a valid stream here, or it ends early: only what it yielded so far counts
        }
        return indexOf(window, marker, 0, kept) >= 0;
    }

    private static boolean isZlibHeader(byte[] b, int at) {
        if (at + 1 >= b.length) {
            return false;
        }
        int cmf = b[at] & 0xff;
        int flg = b[at + 1] & 0xff;
        return cmf == 0x78 && (cmf * 256 + flg) % 31 == 0;
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (at + prefix.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        return indexOf(haystack, needle, from, haystack.length);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from, int end) {
        outer:
        for (int i = from; i + needle.length <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
