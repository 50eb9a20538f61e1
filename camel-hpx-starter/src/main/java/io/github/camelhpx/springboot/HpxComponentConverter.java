package io.github.camelhpx.springboot;

import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.component.HpxConfiguration;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Binds the object options of {@link HpxComponentConfiguration} from bean references:
 * {@code camel.component.hpx.ssl-context-parameters=#bean:hpxTls} (or {@code #hpxTls}) becomes the bean
 * {@code hpxTls} of the application context. The bean is looked up when the properties are bound.
 */
@AutoConfiguration
@ConfigurationPropertiesBinding
public class HpxComponentConverter implements GenericConverter {

    private final ApplicationContext applicationContext;

    public HpxComponentConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        Set<ConvertiblePair> answer = new LinkedHashSet<>();
        answer.add(new ConvertiblePair(String.class, HpxConfiguration.class));
        answer.add(new ConvertiblePair(String.class, ObjectMapper.class));
        answer.add(new ConvertiblePair(String.class, SSLContextParameters.class));
        return answer;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString().trim();
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("A " + targetType.getType().getSimpleName()
                                               + " option takes a bean reference such as #bean:name, not a value");
        }
        String name = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        return applicationContext.getBean(name, targetType.getType());
    }
}
