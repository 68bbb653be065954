package dev.statefort.bench.load;

import java.net.InetAddress;
import java.net.ServerSocket;

/** Prints a free TCP port on 127.0.0.1 (for {@code bench/load/run.sh}). */
public final class FreePort {
    private FreePort() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            System.out.println(s.getLocalPort());
        }
    }
}
