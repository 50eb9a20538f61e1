package io.github.camelhpx.example.quarkus;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.camelhpx.testkit.HpxTestServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.quarkus.core.CamelRuntime;

/**
 * The hpx component in a Quarkus application: the extension configures it from {@code application.properties}, the
 * routes are Java ({@link HpxDemoRoutes}) and YAML ({@code routes/count.yaml}), and {@code /q/health} reports the
 * hpx health checks ({@link CamelHpxReadiness}). It makes one pass over the demo routes and exits.
 * <p>
 * Without an HPX server configured ({@code camel.component.hpx.host}, e.g. as {@code CAMEL_COMPONENT_HPX_HOST}), it
 * starts the embedded server of camel-hpx-testkit first and stops it after Quarkus ({@link EmbeddedHpxServer}).
 */
@QuarkusMain
public class HpxQuarkusExample implements QuarkusApplication {

    @Inject
    CamelRuntime camel;

    @Inject
    CamelContext context;

    public static void main(String... args) {
        HpxTestServer server = EmbeddedHpxServer.startUnlessConfigured(System::getenv, System.getProperties(),
                EmbeddedHpxServer.applicationProperties());
        Quarkus.run(HpxQuarkusExample.class, (exitCode, failure) -> {
            if (server != null) {
                server.close(); // after Quarkus, so after the routes that use it
            }
            if (failure != null) {
                failure.printStackTrace();
            }
            System.exit(exitCode);
        }, args);
    }

    /** Called once Quarkus has started; the application stops (and Camel with it) when it returns. */
    @Override
    public int run(String... args) {
        startCamel(args);
        runDemo();
        return 0;
    }

    /**
     * With a {@code @QuarkusMain} of its own, an application starts Camel itself (Camel Quarkus starts it only for
     * applications without one), as Camel Quarkus's {@code CamelMainApplication} does.
     */
    private void startCamel(String... args) {
        if (!context.isStarted()) {
            camel.start(args);
        }
    }

    private void runDemo() {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.sendBody("direct:demo", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
