package dev.asyncpatterns.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This instance's identity, for both stores. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    LocalInstance localInstance(ClusterProperties properties) {
        return LocalInstance.of(properties);
    }
}
