package io.github.camelhpx.component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxClientStats;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.PropertiesHelper;

/**
 * Calls the API of HappyPanda X (HPX) servers, polls their functions, and receives their broadcasts. Endpoints
 * that talk to the same server with the same credentials and session settings share one session and its
 * connection pool.
 * <p>
 * Health checks: each producer adds a readiness check to Camel's producers repository (which Camel only runs
 * with {@code camel.health.producersEnabled=true}); the consumers report through their routes' consumer checks.
 * {@code healthCheckProducerEnabled} and {@code healthCheckConsumerEnabled} switch them off.
 */
@Component("hpx")
public class HpxComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final String ARG_PREFIX = "arg.";
    private static final String SESSION_ID = "sessionId";

    @Metadata(description = "The options every endpoint starts from; an endpoint's URI overrides them.")
    private HpxConfiguration configuration = new HpxConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;

    private final HpxClientRegistry clients = new HpxClientRegistry();
    // The function expressions of toD endpoints (HpxSendDynamicAware), as route authors wrote them.
    private final Set<String> functionExpressions = ConcurrentHashMap.newKeySet();
    private ExecutorService commandExecutor;

    public HpxComponent() {
        registerExtension(HpxComponentVerifierExtension::new);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ObjectHelper.isEmpty(remaining)) {
            throw new IllegalArgumentException("The HPX function name is missing, e.g. hpx:get_version");
        }
        maskSessionIds();
        HpxConfiguration endpointConfiguration = configuration.copy();
        // Taken out before the other options are bound: they name function arguments, not properties.
        Map<String, Object> args = PropertiesHelper.extractProperties(parameters, ARG_PREFIX);
        HpxEndpoint endpoint = new HpxEndpoint(uri, remaining, this, endpointConfiguration);
        setProperties(endpoint, parameters);
        // A bad server list or protocol fails the route now, not its first call.
        endpointConfiguration.servers();
        HpxClientFactory.protocol(endpointConfiguration.getProtocol());
        if (endpointConfiguration.isFailback() && endpointConfiguration.getFailbackInterval() <= 0) {
            throw new IllegalArgumentException("failbackInterval must be positive, was "
                                               + endpointConfiguration.getFailbackInterval() + " ms");
        }
        endpointConfiguration.getArgs().putAll(args);
        applyGlobalSsl(endpointConfiguration);
        return endpoint;
    }

    /** The context's SSL parameters for a configuration that names none, when the component may use them. */
    void applyGlobalSsl(HpxConfiguration endpointConfiguration) {
        if (endpointConfiguration.getSslContextParameters() == null) {
            endpointConfiguration.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
    }

    /** A lease on the shared client for this configuration; closing it releases the client. */
    HpxClientLease acquireClient(HpxConfiguration endpointConfiguration) {
        return clients.acquire(endpointConfiguration, getCamelContext());
    }

    /** What the shared client of this configuration is doing, while a producer or consumer of it runs. */
    Optional<HpxClientStats> clientStats(HpxConfiguration endpointConfiguration) {
        return clients.find(endpointConfiguration).map(HpxClient::stats);
    }

    /**
     * A toD endpoint's path: the function expression a route wrote, which its span may evaluate (HpxSpanDecorator).
     * Kept as written, and as an endpoint's path may be once Camel has resolved its property placeholders; those are
     * resolved once, though toD tells each message's expression.
     */
    void functionExpression(String expression) {
        if (functionExpressions.add(expression)) {
            functionExpressions.add(getCamelContext().resolvePropertyPlaceholders(expression));
        }
    }

    /**
     * Whether {@code function} is a function expression a route wrote for toD, not a path made of message data (a
     * recipient list's), which is never evaluated.
     */
    boolean isFunctionExpression(String function) {
        return functionExpressions.contains(function);
    }

    /**
     * Whether {@code session} is the own session of a shared client, not a user's: of any hpx component of the context
     * (a route may call through two, with other credentials), open or closed since (the server may keep its session).
     */
    boolean isOwnSession(String session) {
        return allIn(getCamelContext()).stream().anyMatch(component -> component.clients.holdsSession(session));
    }

    /** The hpx components of {@code context}, under whatever names they were added. */
    static List<HpxComponent> allIn(CamelContext context) {
        List<HpxComponent> components = new ArrayList<>();
        for (String name : context.getComponentNames()) {
            if (context.hasComponent(name) instanceof HpxComponent hpx) {
                components.add(hpx);
            }
        }
        return components;
    }

    /** The shared clients open now, by what they share. */
    Map<HpxClientKey, HpxClient> openClients() {
        return clients.open();
    }

    /**
     * Where {@code awaitCommand}'s progress messages are sent and its exchanges go on once their command ended: threads
     * apart from the clients' and the command poller's, growing on demand, so that nothing those routes do can hold
     * up an HPX call or another command's polls.
     */
    Executor commandExecutor() {
        return commandExecutor;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        maskSessionIds();
    }

    /**
     * A session id is a bearer credential, and Camel masks only the option names on its list in URIs. Added to the
     * context's list, which keeps the application's own keywords: URISupport.addSanitizeKeywords replaces what is
     * there. Again for each endpoint, in case the application set its list since. (Camel Main's summary of the
     * options it set, logged before this runs, masks it as an option marked secret.)
     */
    private void maskSessionIds() {
        ExtendedCamelContext extension = getCamelContext().getCamelContextExtension();
        String keywords = extension.getAdditionalSensitiveKeywords();
        List<String> listed = keywords == null ? List.of()
                : Arrays.stream(keywords.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
        if (listed.stream().noneMatch(SESSION_ID::equalsIgnoreCase)) {
            // Without blank entries: Camel makes one pattern of the list, and an empty one would match every option.
            extension.setAdditionalSensitiveKeywords(
                    String.join(",", Stream.concat(listed.stream(), Stream.of(SESSION_ID)).toList()));
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        commandExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "HpxCommand");
    }

    @Override
    protected void doStop() throws Exception {
        try {
            clients.closeAll();
            // None when the component never started: a context that failed to start, or closed before it started.
            if (commandExecutor != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(commandExecutor);
                commandExecutor = null;
            }
        } finally {
            super.doStop();
        }
    }

    public HpxConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options every endpoint starts from.
     */
    public void setConfiguration(HpxConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /**
     * Use the CamelContext's global SSL context parameters for endpoints that set no sslContextParameters.
     */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
