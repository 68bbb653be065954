package dev.statefort.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Hand-written HTTP/1.1 on a plain socket, for requests the JDK client refuses to send. */
public final class RawHttp {
    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /**
     * Sends the head and only part of the body, then closes the connection: a client that dies mid-upload. Returns
     * whatever the server answered before the close (usually nothing).
     */
    public String sendTruncated(String head, byte[] partialBody) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(partialBody);
            out.flush();
            socket.shutdownOutput();
            return readQuietly(socket.getInputStream());
        } catch (IOException e) {
            return "(connection error: " + e.getMessage() + ")";
        }
    }

    /** Sends a complete request ({@code Connection: close} is expected in the head) and returns the raw answer. */
    public String exchange(String head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int statusOf(String rawResponse) {
        if (!rawResponse.startsWith("HTTP/1.1 ") && !rawResponse.startsWith("HTTP/1.0 ")) {
            throw new AssertionError("not an HTTP response: " + rawResponse);
        }
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    private static String readQuietly(InputStream in) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the server is still waiting for the rest of the body; that is fine
        } catch (IOException e) {
            // reset by peer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
