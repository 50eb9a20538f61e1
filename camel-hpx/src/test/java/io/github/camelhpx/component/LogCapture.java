package io.github.camelhpx.component;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged from {@code level} up, with stack traces, while it is open. */
public final class LogCapture implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final WriterAppender appender;
    private final Level rootLevel;

    public LogCapture(Level level) {
        Configuration configuration = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture").setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c - %m%n%throwable").build()).build();
        appender.start();
        LoggerConfig root = configuration.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, level, null);
        root.setLevel(level);
        configuration.getLoggers().values().forEach(logger -> logger.setLevel(level));
        context.updateLoggers();
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().removeAppender(appender.getName());
        configuration.getRootLogger().setLevel(rootLevel);
        appender.stop();
        context.reconfigure();
    }
}
