package dev.asyncpatterns.runtime;

import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.ReactorResourceFactory;

import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/** The event loops the Netty web server binds with: the same loop resources and transport choice. */
final class ServerLoops {

    private ServerLoops() {
    }

    static Supplier<EventLoopGroup> of(ObjectProvider<ReactorResourceFactory> resourceFactory) {
        return () -> {
            ReactorResourceFactory factory = resourceFactory.getIfAvailable();
            LoopResources resources = factory != null ? factory.getLoopResources() : HttpResources.get();
            return resources.onServer(LoopResources.DEFAULT_NATIVE);
        };
    }
}
