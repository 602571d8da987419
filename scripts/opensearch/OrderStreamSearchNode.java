// A single-node OpenSearch started from the jars Maven Central serves (scripts/opensearch/pom.xml).
// A distribution's bin/opensearch loads modules/ from folders; we have no distribution, so the
// modules we need (HTTP transport, analyzers) are passed as classpath plugins to the protected
// Node constructor, the way OpenSearch's own test clusters do it.
//
// Usage: java -cp '<lib>/*:<classes>' OrderStreamSearchNode <home> <config dir>
// Settings come from <config dir>/opensearch.yml; SIGTERM closes the node cleanly.
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

public final class OrderStreamSearchNode extends Node {
    private static final List<Class<? extends Plugin>> MODULES = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    private OrderStreamSearchNode(Environment environment) {
        super(environment, MODULES, true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OrderStreamSearchNode <home> <config dir>");
            System.exit(2);
        }
        Settings input = Settings.builder().put("path.home", args[0]).build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(input, Collections.emptyMap(), Path.of(args[1]), () -> "orderstream-search");
        LogConfigurator.configure(env);
        Node node = new OrderStreamSearchNode(env);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }));
        node.start();
        closed.await();
    }
}
