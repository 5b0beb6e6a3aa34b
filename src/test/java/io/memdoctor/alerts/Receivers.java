package io.memdoctor.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** An HTTP receiver on a free loopback port that keeps every body POSTed to it, by path. */
public final class Receivers implements AutoCloseable {

    /** One request: its path (with the query) and body. */
    record Received(String path, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public Receivers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestURI().toString(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            int status = exchange.getRequestURI().getPath().startsWith("/broken") ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<String> bodies(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).map(Received::body).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
