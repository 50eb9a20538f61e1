package io.github.camelhpx.example.quarkus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.LaunchMode;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Asks this application's health endpoint for its readiness, as {@code curl} would, and sums up the hpx checks.
 */
@ApplicationScoped
@Named("healthReport")
public class HealthReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    /** The URL of the readiness checks; with port 0, Quarkus puts the port it got in the property. */
    public String url() {
        String port = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return "http://localhost:" + ConfigProvider.getConfig().getValue(port, Integer.class) + "/q/health/ready";
    }

    public String summary() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode health = JSON.readTree(response.body());
        List<String> hpxChecks = new ArrayList<>();
        for (JsonNode check : health.path("checks")) {
            if (CamelHpxReadiness.NAME.equals(check.path("name").asText())) {
                for (Map.Entry<String, JsonNode> data : check.path("data").properties()) {
                    hpxChecks.add(data.getKey() + " " + data.getValue().asText());
                }
            }
        }
        return health.path("status").asText() + " (" + CamelHpxReadiness.NAME + ": " + String.join(", ", hpxChecks)
               + ")";
    }
}
