package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every listener of the dev stack is on the loopback address unless the API is opened on purpose, and then only
 * the API: read from this process's own sockets (/proc/self/fd → /proc/net/tcp{,6}), never by connecting anywhere.
 */
class LoopbackListenersTest {
    @TempDir
    Path home;

    record Listener(String address, int port) {
        boolean loopback() {
            return address.startsWith("127.") || address.equals("::1") || address.equals("::ffff:127.0.0.1");
        }
    }

    @Test
    void everyListenerOfTheDevStackIsOnLoopback() throws Exception {
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home.resolve("a"), 1))) {
            List<Listener> listeners = listeners();
            System.out.println("dev stack listeners: " + listeners);
            assertTrue(listeners.stream().anyMatch(l -> l.port() == port(stack.apiUrl())), "the API is among them: " + listeners);
            assertTrue(listeners.stream().anyMatch(l -> l.port() == stack.options().temporalPort()), "Temporal is among them");
            assertTrue(listeners.stream().anyMatch(l -> l.port() == port(stack.s3Endpoint())), "S3 is among them");
            assertTrue(listeners.stream().allMatch(Listener::loopback), "every listener on loopback: " + listeners);
        }
    }

    @Test
    void openingTheApiOpensOnlyTheApi() throws Exception {
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home.resolve("b"), 1).withApiHost("0.0.0.0"))) {
            int api = port(stack.apiUrl());
            List<Listener> listeners = listeners();
            assertEquals(List.of(api), listeners.stream().filter(l -> !l.loopback()).map(Listener::port).distinct().toList(),
                    "only the API beyond loopback: " + listeners);
            assertEquals(200, stack.apiClient().get("/health").status());
        }
    }

    static int port(String url) {
        return URI.create(url).getPort();
    }

    /** The TCP sockets this process listens on, from the kernel's tables. */
    static List<Listener> listeners() throws IOException {
        return listeners("self");
    }

    /** The TCP sockets process {@code pid} listens on (a child server of ours), from the kernel's tables. */
    static List<Listener> listeners(String pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the fd closed while listing
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                // local_address rem_address st ... inode: state 0A is LISTEN
                if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** A /proc/net address: 4 bytes (IPv4) or 16 bytes (IPv6), each 32-bit group in host (little-endian) order. */
    static String address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int group = 0; group < bytes.length / 4; group++) {
            for (int i = 0; i < 4; i++) {
                bytes[group * 4 + i] = (byte) Integer.parseInt(hex.substring(group * 8 + (3 - i) * 2, group * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            String text = java.net.InetAddress.getByAddress(bytes).getHostAddress();
            // IPv4-mapped IPv6 addresses come back as IPv4 from InetAddress; normalize the IPv6 loopback and wildcard.
            return text.equals("0:0:0:0:0:0:0:1") ? "::1" : text.equals("0:0:0:0:0:0:0:0") ? "::" : text;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(hex, e);
        }
    }
}
