package io.github.camelhpx.example.springboot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Asks this application's Actuator for Camel's health, as {@code curl} would, and sums it up: the status, the
 * context, and the checks of the hpx component (the ones that name an HPX server in their details).
 */
@Component
public class ActuatorHealth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Environment environment;
    private final HttpClient http = HttpClient.newHttpClient();

    public ActuatorHealth(Environment environment) {
        this.environment = environment;
    }

    /** The URL of Camel's part of the Actuator health endpoint. */
    public String url() {
        return "http://localhost:" + environment.getProperty("local.server.port") + "/actuator/health/camelHealth";
    }

    public String camelHealth() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode health = JSON.readTree(response.body());
        JsonNode details = health.path("details");
        List<String> hpxChecks = new ArrayList<>();
        Set<String> servers = new TreeSet<>();
        int others = 0;
        for (Map.Entry<String, JsonNode> entry : details.properties()) {
            String id = entry.getKey();
            JsonNode server = details.path(id + ".data").path("hpx.server");
            if (id.endsWith(".data") || id.equals("name") || id.equals("context")) {
                continue;
            }
            if (server.isMissingNode()) {
                others++;
            } else {
                hpxChecks.add(id + " " + entry.getValue().asText());
                servers.add(server.asText());
            }
        }
        return health.path("status").asText() + " (context " + details.path("context").asText() + "; hpx " + servers
               + ": " + String.join(", ", hpxChecks) + "; " + others + " more route and consumer checks)";
    }
}
