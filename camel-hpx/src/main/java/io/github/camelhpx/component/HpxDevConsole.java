package io.github.camelhpx.component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel's dev console {@code hpx}: each shared client of the context's hpx components with its numbers (as in
 * JMX) and the endpoints that use it, then each broadcast consumer with its connection and reconnects. No password
 * and no session id: the session shows as present or absent, URIs are sanitized.
 */
@DevConsole(name = "hpx", displayName = "HappyPanda X",
            description = "HPX clients: server, protocol, session, connections, calls, last error; broadcast consumers")
public class HpxDevConsole extends AbstractDevConsole {

    public HpxDevConsole() {
        super("camel", "hpx", "HappyPanda X",
              "HPX clients: server, protocol, session, connections, calls, last error; broadcast consumers");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> client : clients()) {
            appendText(text, "Client " + client.remove("client"), client);
        }
        for (Map<String, Object> consumer : consumers()) {
            appendText(text, "Broadcast consumer of route " + consumer.remove("routeId"), consumer);
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        root.put("clients", toJson(clients()));
        root.put("consumers", toJson(consumers()));
        return root;
    }

    /** Each open shared client: what it shares, its numbers, the endpoints of its settings. */
    private List<Map<String, Object>> clients() {
        List<Map<String, Object>> clients = new ArrayList<>();
        for (HpxComponent component : HpxComponent.allIn(getCamelContext())) {
            for (Map.Entry<HpxClientKey, HpxClient> open : component.openClients().entrySet()) {
                Map<String, Object> client = new LinkedHashMap<>();
                client.put("client", open.getKey().toString());
                client.putAll(HpxStats.describe(open.getValue().stats()));
                client.put("endpoints", endpointsOf(component, open.getKey()));
                clients.add(client);
            }
        }
        return clients;
    }

    private List<String> endpointsOf(HpxComponent component, HpxClientKey key) {
        List<String> uris = new ArrayList<>();
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof HpxEndpoint hpx && hpx.getComponent() == component
                && HpxClientKey.of(hpx.getConfiguration()).equals(key)) {
                uris.add(URISupport.sanitizeUri(hpx.getEndpointUri()));
            }
        }
        return uris;
    }

    private List<Map<String, Object>> consumers() {
        List<Map<String, Object>> consumers = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof HpxBroadcastConsumer broadcasts) {
                Map<String, Object> consumer = new LinkedHashMap<>();
                consumer.put("routeId", route.getRouteId());
                consumer.put("endpoint", URISupport.sanitizeUri(broadcasts.getEndpoint().getEndpointUri()));
                consumer.put("connected", broadcasts.isConnected());
                consumer.put("reconnects", broadcasts.getReconnects());
                consumers.add(consumer);
            }
        }
        return consumers;
    }

    private static void appendText(StringBuilder text, String title, Map<String, Object> fields) {
        text.append(title).append('\n');
        fields.forEach((name, value) -> text.append("    ").append(name).append(": ")
                .append(value instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList())
                        : value)
                .append('\n'));
    }

    private static JsonArray toJson(List<Map<String, Object>> rows) {
        JsonArray array = new JsonArray();
        rows.forEach(row -> array.add(new JsonObject(row)));
        return array;
    }
}
