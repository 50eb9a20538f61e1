package io.github.camelhpx.example.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The hpx component in a Spring Boot application: the starter configures it from {@code application.yaml}, the
 * routes are Java ({@link HpxDemoRoutes}) and YAML ({@code camel/count.yaml}), and Actuator reports the health
 * checks. Without an HPX server configured, {@link EmbeddedHpxServer} starts the embedded one of camel-hpx-testkit.
 */
@SpringBootApplication
public class HpxSpringBootExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(HpxSpringBootExampleApplication.class, args);
    }
}
