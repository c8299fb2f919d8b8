// The bench's broker request counts: `java tools/bench/KafkaRequests.java <jmx port>` prints one JSON object of
// requests served since the broker started, by request type ({"Fetch": 1083, "OffsetCommit": 3583, …}), read
// from the broker's own RequestMetrics over JMX (the bench starts its broker with JMX on that port). The bench
// takes the difference around each E step: Kafka's CPU per dispute is per-request work, so this says which
// requests a dispute costs.
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public class KafkaRequests {
  public static void main(String[] args) throws Exception {
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + args[0] + "/jmxrmi");
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      Map<String, Long> byType = new TreeMap<>();
      // One MBean per request type and API version: summed by type.
      for (ObjectName name : server.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
        byType.merge(name.getKeyProperty("request"), ((Number) server.getAttribute(name, "Count")).longValue(), Long::sum);
      }
      StringBuilder json = new StringBuilder("{");
      for (Map.Entry<String, Long> entry : byType.entrySet()) {
        if (json.length() > 1) json.append(',');
        json.append('"').append(entry.getKey()).append("\":").append(entry.getValue());
      }
      System.out.println(json.append('}'));
    }
  }
}
