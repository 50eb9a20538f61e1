package io.github.camelhpx.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;

/** Checks on listening ports. */
final class Ports {

    private Ports() {
    }

    /**
     * True when nothing listens on the port. A Linux client socket can pick the very port it connects to as
     * its own ephemeral port and "connect" to itself; that counts as refused too.
     */
    static boolean refuses(String host, int port) {
        try (Socket s = new Socket(host, port)) {
            return s.getLocalPort() == port;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
