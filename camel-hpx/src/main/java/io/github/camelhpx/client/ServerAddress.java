package io.github.camelhpx.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an HPX server listens. {@link #toString()} gives {@code host:port}, an IPv6 address in brackets.
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("an HPX server's host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port + " (HPX server " + host + ")");
        }
    }

    /**
     * Reads a comma-separated list of servers, each {@code host} or {@code host:port} ({@code [v6-address]:port}
     * for an IPv6 address with a port); a server without a port listens on {@code defaultPort}.
     *
     * @throws IllegalArgumentException naming the entry that is not a server address
     */
    public static List<ServerAddress> parseList(String servers, int defaultPort) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("no HPX server given: host must name at least one, e.g. hpx1:7007");
        }
        List<ServerAddress> parsed = new ArrayList<>();
        for (String entry : servers.split(",", -1)) {
            try {
                ServerAddress server = parse(entry.trim(), defaultPort);
                if (parsed.contains(server)) {
                    throw new IllegalArgumentException("it is listed twice");
                }
                parsed.add(server);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad entry '" + entry.trim() + "' in the HPX server list '" + servers
                        + "' (host or host:port, comma-separated): " + e.getMessage(), e);
            }
        }
        return List.copyOf(parsed);
    }

    /** The servers as {@code host:port,host:port}, the form {@link #parseList} reads. */
    public static String join(List<ServerAddress> servers) {
        StringBuilder list = new StringBuilder();
        for (ServerAddress server : servers) {
            list.append(list.isEmpty() ? "" : ",").append(server);
        }
        return list.toString();
    }

    private static ServerAddress parse(String entry, int defaultPort) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("the entry is empty");
        }
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("the IPv6 address has no closing ]");
            }
            String rest = entry.substring(end + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("only :port may follow the IPv6 address");
            }
            return new ServerAddress(entry.substring(1, end), rest.isEmpty() ? defaultPort : port(rest.substring(1)));
        }
        int colon = entry.indexOf(':');
        if (colon < 0 || entry.indexOf(':', colon + 1) >= 0) {
            // No colon, or an IPv6 address without brackets (which cannot carry a port).
            return new ServerAddress(entry, defaultPort);
        }
        return new ServerAddress(entry.substring(0, colon), port(entry.substring(colon + 1)));
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port '" + text + "' is not a number", e);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
