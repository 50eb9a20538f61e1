package io.github.camelhpx.quarkus.deployment;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.CommandResult;
import io.github.camelhpx.client.CommandState;
import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxError;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;
import io.github.camelhpx.component.HpxComponent;
import io.github.camelhpx.component.HpxComponentConfigurer;
import io.github.camelhpx.component.HpxConfiguration;
import io.github.camelhpx.component.HpxDevConsole;
import io.github.camelhpx.component.HpxEndpointConfigurer;
import io.github.camelhpx.component.HpxEndpointUriFactory;
import io.github.camelhpx.component.HpxSendDynamicAware;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.ExtensionSslNativeSupportBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ServiceProviderBuildItem;

/**
 * The build steps of the camel-hpx extension. Camel Quarkus's core already turns the component's
 * {@code META-INF/services/org/apache/camel/...} files (component, configurers, URI factory) into its registry once
 * the jar is indexed; these steps make sure it is, and say what a native image must keep.
 */
class HpxProcessor {

    static final String FEATURE = "camel-hpx";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** camel-hpx has no beans.xml nor Jandex index: index it, so that Camel Quarkus finds its service files. */
    @BuildStep
    IndexDependencyBuildItem indexComponent() {
        return new IndexDependencyBuildItem("io.github.camelhpx", "camel-hpx");
    }

    /**
     * Classes that Camel creates by name from the service files ({@code component/hpx},
     * {@code configurer/hpx-component}, {@code configurer/hpx-endpoint}, {@code urifactory/hpx-endpoint},
     * {@code send-dynamic/hpx}, {@code dev-console/hpx}): their constructors.
     */
    @BuildStep
    ReflectiveClassBuildItem camelInstantiatedClasses() {
        return ReflectiveClassBuildItem.builder(HpxComponent.class, HpxComponentConfigurer.class,
                HpxEndpointConfigurer.class, HpxEndpointUriFactory.class, HpxSendDynamicAware.class,
                HpxDevConsole.class).build();
    }

    /**
     * Classes whose properties are read or written by name: the shared configuration (a {@code configuration} bean
     * set up from properties is bound by Camel's reflective property binding, as no configurer covers it), and the
     * client's public records and enums, which Jackson binds by reflection when a route hands them to it (as a body
     * that the producer converts with {@code valueToTree}, or marshalled to JSON). The component's own replies are
     * Jackson trees; an {@code outputClass} is the application's type, which the application registers.
     */
    @BuildStep
    ReflectiveClassBuildItem jacksonBoundClasses() {
        return ReflectiveClassBuildItem.builder(HpxConfiguration.class, FunctionCall.class, FunctionResult.class,
                HpxError.class, Broadcast.class, Welcome.class, CommandResult.class, CommandState.class,
                ServerCommand.class).methods().fields().build();
    }

    /** The component's metadata, for Camel's runtime catalog (option validation, dev consoles). */
    @BuildStep
    NativeImageResourceBuildItem componentMetadata() {
        return new NativeImageResourceBuildItem("META-INF/io/github/camelhpx/component/hpx.json");
    }

    /**
     * msgpack-core (G2's codec) picks its buffer class by name when {@code MessageBuffer} is initialised, and makes
     * its buffers through constructors it looks up by reflection; the jar brings no native-image configuration.
     */
    @BuildStep
    ReflectiveClassBuildItem msgpackBuffers() {
        return ReflectiveClassBuildItem.builder("org.msgpack.core.buffer.MessageBuffer",
                "org.msgpack.core.buffer.MessageBufferBE", "org.msgpack.core.buffer.MessageBufferU").constructors()
                .reason("msgpack-core creates its buffers by reflection").build();
    }

    /**
     * The span decorator that names the HPX function in traces, a service file Quarkus's native image reads only
     * when told to; only with camel-tracing there, which declares the service.
     */
    @BuildStep
    void spanDecorator(BuildProducer<ServiceProviderBuildItem> services) {
        String service = "org.apache.camel.tracing.SpanDecorator";
        if (QuarkusClassLoader.isClassPresentAtRuntime(service)) {
            // By name: the class extends camel-tracing's, which may be missing where this step runs.
            services.produce(new ServiceProviderBuildItem(service, "io.github.camelhpx.component.HpxSpanDecorator"));
        }
    }

    /** Connections may use TLS ({@code sslContextParameters}): the native image needs its SSL support. */
    @BuildStep
    ExtensionSslNativeSupportBuildItem activateSslNativeSupport() {
        return new ExtensionSslNativeSupportBuildItem(FEATURE);
    }
}
