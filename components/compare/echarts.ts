import { ParallelChart, ScatterChart } from "echarts/charts";
import { GridComponent, ParallelComponent, TooltipComponent, VisualMapContinuousComponent } from "echarts/components";
import { init, use as registerModules } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

// Only what the compare plots draw: the bundle stays a fraction of full ECharts. Loaded by
// `EChart` in an effect, so none of it runs on the server.
registerModules([ParallelChart, ScatterChart, GridComponent, ParallelComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

export { init };
