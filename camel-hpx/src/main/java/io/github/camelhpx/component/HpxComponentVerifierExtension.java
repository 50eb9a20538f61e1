package io.github.camelhpx.component;

import java.util.List;
import java.util.Map;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxException;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.extension.verifier.CatalogVerifierCustomizer;
import org.apache.camel.component.extension.verifier.DefaultComponentVerifierExtension;
import org.apache.camel.component.extension.verifier.ResultBuilder;
import org.apache.camel.component.extension.verifier.ResultErrorBuilder;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a set of hpx options before they are used, as tools such as Kaoto or Syndesis-style connectors ask a
 * component to: {@code PARAMETERS} looks at the values alone (a host, a port in range, a password only with a
 * user, and, with camel-core-catalog on the classpath, everything the component's metadata knows: unknown options,
 * types, the protocol names); {@code CONNECTIVITY} opens a
 * connection, logs in and calls {@code get_version}. A login the server refuses is an {@code AUTHENTICATION}
 * error on {@code user} and {@code password}; a server that cannot be reached or does not speak HPX an
 * {@code EXCEPTION} error on {@code host} and {@code port}. Descriptions never hold the password or a session id.
 */
public class HpxComponentVerifierExtension extends DefaultComponentVerifierExtension {

    private static final Logger LOG = LoggerFactory.getLogger(HpxComponentVerifierExtension.class);

    private static final String RUNTIME_CATALOG = "org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog";
    private static final String HOST = "host";
    private static final String PORT = "port";
    private static final String USER = "user";
    private static final String PASSWORD = "password";
    private static final String SSL_CONTEXT_PARAMETERS = "sslContextParameters";

    public HpxComponentVerifierExtension() {
        super("hpx");
    }

    @Override
    protected Result verifyParameters(Map<String, Object> parameters) {
        ResultBuilder builder = ResultBuilder.withStatusAndScope(Result.Status.OK, Scope.PARAMETERS);
        if (parameters.containsKey(HOST) && ObjectHelper.isEmpty(parameters.get(HOST))) {
            builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE,
                    "host must not be blank").parameterKey(HOST).build());
        }
        if (parameters.containsKey(PORT)) {
            checkPort(builder, parameters.get(PORT));
        }
        if (ObjectHelper.isNotEmpty(parameters.get(PASSWORD)) && ObjectHelper.isEmpty(parameters.get(USER))) {
            // Without a user the client logs in as a guest: a password alone would be silently ignored.
            builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.INCOMPLETE_PARAMETER_GROUP,
                    "password is set without a user: set both, or neither to connect as a guest")
                    .parameterKeys(List.of(USER, PASSWORD)).build());
        }
        if (ObjectHelper.isNotEmpty(parameters.get(USER)) && ObjectHelper.isEmpty(parameters.get(PASSWORD))) {
            // The client refuses to start: HPX 0.x logs the user "default" in without one, even where it is disabled.
            builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.INCOMPLETE_PARAMETER_GROUP,
                    "user is set without a password: a login needs one")
                    .parameterKeys(List.of(USER, PASSWORD)).build());
        }
        // Asked first, not caught: the exception Camel 4.22 throws without it does not exist in 4.18.
        if (getCamelContext().getClassResolver().resolveClass(RUNTIME_CATALOG) != null) {
            // The function, the one required option, names an endpoint's call: the verifier needs none.
            verifyParametersAgainstCatalog(builder, parameters, new CatalogVerifierCustomizer().excludeRequired());
        } else {
            LOG.debug("Options not checked against the component's metadata: camel-core-catalog is not on the classpath");
        }
        return builder.build();
    }

    private static void checkPort(ResultBuilder builder, Object value) {
        String text = String.valueOf(value);
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE,
                "port must be a number from 1 to 65535, was '" + text + "'").parameterKey(PORT).build());
    }

    @Override
    protected Result verifyConnectivity(Map<String, Object> parameters) {
        ResultBuilder builder = ResultBuilder.withStatusAndScope(Result.Status.OK, Scope.CONNECTIVITY);
        HpxConfiguration configuration;
        try {
            // Over the component's own options, so that what the application configured there is verified too, and
            // with the context's SSL parameters where an endpoint would take them.
            HpxComponent hpx = getComponent() instanceof HpxComponent component ? component : null;
            configuration = setProperties(hpx != null ? hpx.getConfiguration().copy() : new HpxConfiguration(),
                    parameters);
            if (hpx != null) {
                hpx.applyGlobalSsl(configuration);
            }
        } catch (Exception e) {
            return builder.error(ResultErrorBuilder.withException(e)
                    .description("The options cannot be applied: " + e.getMessage()).build()).build();
        }
        try (HpxClient client = HpxClientFactory.builder(configuration, getCamelContext()).build()) {
            client.authenticate();
            client.call("get_version");
        } catch (HpxAuthException e) {
            builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.AUTHENTICATION,
                    e.getMessage()).parameterKeys(List.of(USER, PASSWORD)).build());
        } catch (HpxException e) {
            builder.error(ResultErrorBuilder.withException(e).description(e.getMessage())
                    .parameterKeys(List.of(HOST, PORT)).build());
        } catch (IllegalArgumentException e) {
            builder.error(ResultErrorBuilder.withCodeAndDescription(VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE,
                    e.getMessage()).build());
        } catch (RuntimeCamelException e) {
            // TLS that cannot be set up (a keystore not found, a wrong password): the client was never built.
            builder.error(ResultErrorBuilder.withException(e).description(e.getMessage())
                    .parameterKey(SSL_CONTEXT_PARAMETERS).build());
        }
        return builder.build();
    }
}
