package io.memdoctor.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether {@code server.address} keeps the dashboard on this machine. */
final class ListenAddress {

    private ListenAddress() {
    }

    /**
     * True for 127.0.0.0/8, ::1 and names that resolve to them ({@code localhost}). No address at all means every
     * interface, so it is not loopback; neither is a name that does not resolve.
     */
    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            InetAddress resolved = InetAddress.getByName(address.trim());
            return resolved.isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
