package io.github.camelhpx.springboot;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.camelhpx.component.HpxComponent;
import io.github.camelhpx.component.HpxConfiguration;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Applies the {@code camel.component.hpx.*} properties to the {@code hpx} component through a
 * {@link ComponentCustomizer}, in the shape of Apache Camel's own starters: {@code camel.component.hpx.enabled=false}
 * (or {@code camel.component.enabled=false}) turns the auto-configuration off, and
 * {@code camel.component.hpx.customizer.enabled=false} (or {@code camel.component.customizer.enabled=false}) keeps
 * the properties off the component.
 *
 * <p>Only the properties that are set reach the component, so the component's defaults, a
 * {@code configuration} bean, or settings made in Java are not overwritten by the defaults of
 * {@link HpxComponentConfiguration}. A {@code configuration} bean is applied first (as a copy), the other properties
 * on top of it.
 */
@AutoConfiguration(after = { CamelAutoConfiguration.class, HpxComponentConverter.class })
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, HpxComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.hpx" })
public class HpxComponentAutoConfiguration {

    static final String PREFIX = "camel.component.hpx";
    /** Properties of the starter itself, not options of the component. */
    private static final Set<String> STARTER_PROPERTIES = Set.of("class", "enabled", "customizer");

    @Lazy
    @Bean
    public ComponentCustomizer configureHpxComponent(ApplicationContext applicationContext, CamelContext camelContext,
                                                     HpxComponentConfiguration configuration) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                applyProperties(camelContext, applicationContext.getEnvironment(), configuration, (HpxComponent) target);
            }

            /** Only the component named hpx: the properties are its, not those of another HpxComponent bean. */
            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        PREFIX + ".customizer")
                       && "hpx".equals(name) && target instanceof HpxComponent;
            }
        };
    }

    /**
     * Sets each component option whose property is set in the environment, through the component's generated
     * configurer, so that each one takes the same path as in an endpoint URI or Camel Main.
     */
    static void applyProperties(CamelContext camelContext, Environment environment,
                                HpxComponentConfiguration configuration, HpxComponent component) {
        Map<String, Object> options = optionsToApply(environment, configuration);
        HpxConfiguration base = (HpxConfiguration) options.remove("configuration");
        if (base != null) {
            component.setConfiguration(base.copy());
            if (options.get("args") instanceof Map<?, ?> args) {
                // On top of the bean's arguments, as the other properties go on top of its options.
                Map<Object, Object> merged = new LinkedHashMap<>(base.getArgs());
                merged.putAll(args);
                options.put("args", merged);
            }
        }
        PropertyConfigurer configurer = component.getComponentPropertyConfigurer();
        for (Map.Entry<String, Object> option : options.entrySet()) {
            if (!configurer.configure(camelContext, component, option.getKey(), option.getValue(), false)) {
                throw new IllegalStateException("The hpx component has no option '" + option.getKey() + "' for "
                                                + PREFIX + "." + DataObjectPropertyName.toDashedForm(option.getKey()));
            }
        }
    }

    /**
     * The options set in the environment, by their component option name, with the values the component takes
     * (a {@code Duration} as it is: the configurer turns it into the milliseconds of a duration option).
     */
    static Map<String, Object> optionsToApply(Environment environment, HpxComponentConfiguration configuration) {
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.get(environment).forEach(sources::add);
        BeanWrapper bean = PropertyAccessorFactory.forBeanPropertyAccess(configuration);
        Map<String, Object> options = new LinkedHashMap<>();
        for (PropertyDescriptor property : bean.getPropertyDescriptors()) {
            String name = property.getName();
            if (STARTER_PROPERTIES.contains(name) || property.getReadMethod() == null) {
                continue;
            }
            Object value = bean.getPropertyValue(name);
            if (value != null && isSet(sources, name)) {
                options.put(name, toComponentValue(value));
            }
        }
        return options;
    }

    private static boolean isSet(List<ConfigurationPropertySource> sources, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(PREFIX + "." + DataObjectPropertyName.toDashedForm(property));
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(name) != null
                || source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    private static Object toComponentValue(Object value) {
        if (value instanceof DataSize size) {
            return size.toBytes();
        }
        return value instanceof Map<?, ?> map ? copyOf(map) : value;
    }

    private static Map<Object, Object> copyOf(Map<?, ?> map) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        map.forEach((key, element) -> copy.put(key, listOrSame(element)));
        return copy;
    }

    /**
     * A YAML list, or {@code args.tags[0]=a}: Spring binds it into a map of {@code Object} as one keyed 0, 1, ...;
     * it goes to the server as the array it was written as.
     */
    private static Object listOrSame(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        List<Object> list = new ArrayList<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            String index = String.valueOf(i);
            if (!map.containsKey(index)) {
                return copyOf(map);
            }
            list.add(listOrSame(map.get(index)));
        }
        return list.isEmpty() ? copyOf(map) : list;
    }

    /**
     * Masks every password and session id (a bearer credential) under {@code camel.component.hpx} in the Actuator
     * {@code env} and {@code configprops} endpoints, even when they are configured to show values: the component's
     * own, and those nested in a {@code configuration} bean or in {@code ssl-context-parameters} (key and key store
     * passwords).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class HpxSecretsSanitizerConfiguration {

        private static final String OURS = "camelcomponenthpx";

        @Bean
        SanitizingFunction hpxSecretsSanitizer() {
            return data -> isSecret(data.getKey()) ? data.withSanitizedValue() : data;
        }

        static boolean isSecret(String key) {
            if (key == null) {
                return false;
            }
            // env keys come in any relaxed form: camel.component.hpx.password, CAMEL_COMPONENT_HPX_PASSWORD, ...;
            // configprops names nested ones by their path: camel.component.hpx.configuration.password, ...
            String flat = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            return flat.startsWith(OURS) && (flat.endsWith("password") || flat.endsWith("sessionid"));
        }
    }
}
