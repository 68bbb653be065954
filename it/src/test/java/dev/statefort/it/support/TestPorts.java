package dev.statefort.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start (nodes, HAProxy, s3proxy, PostgreSQL), taken below the kernel's ephemeral
 * range: no client connection of any process on the machine is given one of them as its local port, neither between
 * the pick and the server's bind nor while a node is down between a {@code kill -9} and its restart on the same port.
 * The module's surefire forks run side by side ({@code forkCount} 2 in {@code it/pom.xml}); each draws from its own
 * block of {@value #BLOCK} ports (system property {@code statefort.it.fork}, surefire's fork number), from a random
 * place in it onwards, and skips a port it cannot bind on 127.0.0.1 itself. Where the ephemeral range leaves no room
 * for the block, the kernel picks (port 0), as before.
 */
final class TestPorts {
    static final int FIRST = 20_000;
    static final int BLOCK = 1_000;
    static final int BLOCKS = 12;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static int next = -1;

    private TestPorts() {}

    static synchronized int next() throws IOException {
        int fork = forkNumber();
        int low = FIRST + Math.floorMod(fork - 1, BLOCKS) * BLOCK;
        if (low + BLOCK > ephemeralLow()) {
            return kernelPick();
        }
        if (next < 0) {
            next = ThreadLocalRandom.current().nextInt(BLOCK);
        }
        for (int tried = 0; tried < BLOCK; tried++) {
            int port = low + next;
            next = (next + 1) % BLOCK;
            if (bindable(port)) {
                return port;
            }
        }
        return kernelPick();
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelPick() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Surefire's fork number from {@code statefort.it.fork} ({@code fork<N>}; 1 when run otherwise). */
    static int forkNumber() {
        String digits = System.getProperty("statefort.it.fork", "").replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 1 : Integer.parseInt(digits);
    }

    /** The first port the kernel hands out on its own (32768 on Linux unless changed). */
    private static int ephemeralLow() {
        // read line by line: reading the whole of a /proc file at once may return only its first byte
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            String line = reader.readLine();
            return Integer.parseInt(line.strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
