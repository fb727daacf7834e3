package dev.asyncpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import reactor.netty.ReactorNetty;

class EventLoopCountTests {

    @Test
    void theCountIsOneLoopPerCoreByDefault() {
        Properties properties = new Properties();
        EventLoopCount.defaultTo(properties, 2);
        assertThat(properties.getProperty(ReactorNetty.IO_WORKER_COUNT)).isEqualTo("2");
    }

    @Test
    void aCountGivenOnTheCommandLineIsKept() {
        Properties properties = new Properties();
        properties.setProperty(ReactorNetty.IO_WORKER_COUNT, "8");
        EventLoopCount.defaultTo(properties, 2);
        assertThat(properties.getProperty(ReactorNetty.IO_WORKER_COUNT)).isEqualTo("8");
    }
}
