import { BarChart, LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import { GridComponent, MarkLineComponent, ParallelComponent, TooltipComponent, VisualMapContinuousComponent } from "echarts/components";
import { init, use as registerModules } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

// Only what the compare plots and the monitoring charts (volume, production metric) draw: the bundle stays a fraction of full ECharts. Loaded by
// `EChart` in an effect, so none of it runs on the server.
registerModules([
  BarChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  GridComponent,
  MarkLineComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

export { init };
